/** Who changes partner status, for the audit log: a hub admin (null for the demo seed). */
export type PartnerActor = { memberId: string | null; requestId: string | null };
