/**
 * What the spaces service holds about one member, for the member's data export (APPI
 * disclosure). Spaces, municipalities and operators are places and organisations, not people:
 * today nothing here is about a member, so the lists are empty. When spaces starts recording
 * bookings or check-ins, they belong here — and in the erasure consumer (events/member-erasure.ts).
 */
export type TMemberDataExport = {
  bookings: unknown[];
  checkIns: unknown[];
  note: string;
};

export function exportMemberData(_memberId: string): TMemberDataExport {
  return {
    bookings: [],
    checkIns: [],
    note: '拠点サービスは現在、会員個人に関するデータを保持していません。拠点の予約 (bookings) や入退室の記録 (checkIns) を扱うようになれば、ここに含まれます (the spaces service holds no personal data about members today; bookings and check-ins would appear here)',
  };
}
