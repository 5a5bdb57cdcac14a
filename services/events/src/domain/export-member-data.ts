/**
 * What the events service holds about one member, for the member's data export (APPI
 * disclosure). Events name their organisers (organisations) and venues (spaces or outside
 * places), never people: today nothing here is about a member, so the lists are empty. When
 * events starts taking registrations or recording attendance, they belong here — and in the
 * erasure consumer (events/member-erasure.ts).
 */
export type TMemberDataExport = {
  registrations: unknown[];
  attendance: unknown[];
  note: string;
};

export function exportMemberData(_memberId: string): TMemberDataExport {
  return {
    registrations: [],
    attendance: [],
    note: 'イベントサービスは現在、会員個人に関するデータを保持していません。参加申込 (registrations) や出席の記録 (attendance) を扱うようになれば、ここに含まれます (the events service holds no personal data about members today; event registrations and attendance would appear here)',
  };
}
