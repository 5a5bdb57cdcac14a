import type { Worker } from '../generated/prisma/client.js';
import { readSkills, type TWorkerSkill } from './worker-skills.js';

export type TMemberDataExport = {
  worker: {
    memberId: string;
    displayName: string;
    kind: string;
    municipalityCode: string | null;
    availableHoursPerWeek: number | null;
    skills: TWorkerSkill[];
    registeredAt: string;
    sourceEventAt: string;
    updatedAt: string;
  } | null;
  assignments: unknown[];
  note: string;
};

/**
 * What matching holds about one member, for the member's data export (APPI disclosure): the
 * worker read model row, every column of it. Work orders name organisations, never members,
 * and no work is assigned to members yet — once it is, the assignments belong here too (and in
 * events/member-erasure.ts).
 */
export function exportMemberData(worker: Worker | null): TMemberDataExport {
  return {
    worker: worker && {
      memberId: worker.memberId,
      displayName: worker.displayName,
      kind: worker.kind,
      municipalityCode: worker.municipalityCode,
      availableHoursPerWeek: worker.availableHoursPerWeek,
      skills: readSkills(worker.skills),
      registeredAt: worker.registeredAt.toISOString(),
      sourceEventAt: worker.sourceEventAt.toISOString(),
      updatedAt: worker.updatedAt.toISOString(),
    },
    assignments: [],
    note: 'マッチングサービスが保持するのは、会員サービスから受け取ったワーカー情報 (worker: 表示名・種別・市区町村・稼働可能時間・スキル) です。仕事の割り当て (assignments) はまだ記録していません (matching holds the worker profile it receives from the members service; it records no assignments of work to members yet)',
  };
}
