import type { PrismaClient } from '../generated/prisma/client.js';
import { spaceSearchText } from './search-text.js';

/**
 * Writes the search text of rows that have none: rows from before the column (the migration
 * leaves them empty, as the romaji form needs the application) and rows written with SQL by
 * hand. Every row the application writes has one (a name is required), so after the first start
 * this finds nothing. Run before the service answers (`prepare`); two instances starting at
 * once write the same values.
 */
export async function refreshSearchText(prisma: PrismaClient): Promise<number> {
  const rows = await prisma.space.findMany({
    where: { searchText: '' },
    select: { id: true, name: true, nameKana: true, nameEn: true, description: true },
  });
  for (const row of rows) {
    await prisma.space.updateMany({
      where: { id: row.id, searchText: '' },
      data: { searchText: spaceSearchText(row) },
    });
  }
  return rows.length;
}
