-- AlterEnum
ALTER TYPE "space_kind" ADD VALUE 'incubator';

-- AlterEnum
ALTER TYPE "admission_policy" ADD VALUE 'members-only';

-- AlterTable
ALTER TABLE "space" ADD COLUMN     "closed_on_holidays" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "drop_in_price_yen" INTEGER,
ADD COLUMN     "hours_exceptions" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "links" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "monthly_price_yen" INTEGER,
ADD COLUMN     "photo_urls" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "search_text" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "town" TEXT,
ADD COLUMN     "weekly_hours" JSONB NOT NULL DEFAULT '{}';


-- Prices are yen amounts: the domain refuses negatives with a typed error, the table holds the line.
ALTER TABLE "space" ADD CONSTRAINT "space_drop_in_price_yen_check" CHECK ("drop_in_price_yen" >= 0),
ADD CONSTRAINT "space_monthly_price_yen_check" CHECK ("monthly_price_yen" >= 0);

-- Existing rows keep an empty search text here: their romaji form needs the application, which
-- writes it at start (domain/refresh-search-text.ts).

-- `near`: a GiST index on point(longitude, latitude), core PostgreSQL (PGlite has it too, PostGIS
-- is not available there). Queries prefilter with `point(...) <@ box(...)`, which this index
-- answers, and compute the exact great-circle distance on the few rows left
-- (docs/spaces-directory.md).
CREATE INDEX "space_location_gist" ON "space" USING gist (point("longitude", "latitude"))
  WHERE "longitude" IS NOT NULL AND "latitude" IS NOT NULL;
