-- CreateTable
CREATE TABLE "visit" (
    "id" UUID NOT NULL,
    "member_id" UUID,
    "space_id" UUID NOT NULL,
    "room_id" UUID,
    "checked_in_at" TIMESTAMP(3) NOT NULL,
    "checked_out_at" TIMESTAMP(3),
    "override_by" UUID,
    "override_reason" TEXT,
    "auto_checked_out" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "visit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "visit_space_id_checked_out_at_idx" ON "visit"("space_id", "checked_out_at");

-- CreateIndex
CREATE INDEX "visit_room_id_checked_out_at_idx" ON "visit"("room_id", "checked_out_at");

-- CreateIndex
CREATE INDEX "visit_member_id_idx" ON "visit"("member_id");

-- AddForeignKey
ALTER TABLE "visit" ADD CONSTRAINT "visit_space_id_fkey" FOREIGN KEY ("space_id") REFERENCES "space"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "visit" ADD CONSTRAINT "visit_room_id_fkey" FOREIGN KEY ("room_id") REFERENCES "room"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- One open stay per member and space: a second check-in (also a concurrent one) is refused.
CREATE UNIQUE INDEX "visit_one_open_per_member_space" ON "visit"("member_id", "space_id") WHERE "checked_out_at" IS NULL;
