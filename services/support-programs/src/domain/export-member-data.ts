/**
 * What the support-programs service holds about one member, for the member's data export
 * (APPI disclosure). Programs name their provider (an organisation) and space, never people:
 * today nothing here is about a member, so the lists are empty. When support-programs starts
 * taking applications or recording consultations, they belong here — and in the erasure
 * consumer (events/member-erasure.ts).
 */
export type TMemberDataExport = {
  applications: unknown[];
  consultations: unknown[];
  note: string;
};

export function exportMemberData(_memberId: string): TMemberDataExport {
  return {
    applications: [],
    consultations: [],
    note: '支援制度サービスは現在、会員個人に関するデータを保持していません。支援メニューへの申込 (applications) や相談の記録 (consultations) を扱うようになれば、ここに含まれます (the support-programs service holds no personal data about members today; program applications and consultation records would appear here)',
  };
}
