/**
 * Where the spaces subgraph renders 公共施設一覧 (`?code=<municipality or prefecture>`,
 * `&bom=1` for the spreadsheet variant). Only the gateway calls it; the public URL is the
 * gateway's `/open-data/public-facilities/{code}.csv` (docs/open-data.md).
 */
export const PUBLIC_FACILITIES_SUBGRAPH_PATH = '/open-data/public-facilities';
