import type {
  HelpRequest,
  HelpRequestSkill,
  HomeSpace,
  Introduction,
  MemberConsent,
  Referral,
  Worker,
} from '../generated/prisma/client.js';
import { readSkills, type TWorkerSkill } from './worker-skills.js';

export type TMemberDataExport = {
  worker: {
    memberId: string;
    displayName: string;
    kind: string;
    municipalityCode: string | null;
    availableHoursPerWeek: number | null;
    skills: TWorkerSkill[];
    profileVisibility: string | null;
    registeredAt: string;
    sourceEventAt: string;
    updatedAt: string;
  } | null;
  consents: {
    recipientOrganizationId: string;
    purpose: string;
    noticeVersion: string | null;
    grantedAt: string | null;
    withdrawnAt: string | null;
    sourceEventAt: string;
    updatedAt: string;
  }[];
  assignments: unknown[];
  homeSpaces: {
    membershipId: string;
    spaceId: string;
    municipalityCode: string;
    plan: string;
    startsOn: string;
    endsOn: string | null;
    sourceEventAt: string;
    updatedAt: string;
  }[];
  referral: {
    referredById: string | null;
    profileVisibility: string;
    sourceEventAt: string;
    updatedAt: string;
  } | null;
  helpRequests: {
    id: string;
    title: string;
    description: string;
    skills: { code: string; minLevel: number }[];
    municipalityCode: string | null;
    spaceId: string | null;
    visibleTo: string;
    status: string;
    createdAt: string;
    closedAt: string | null;
  }[];
  /** Introductions naming the member, as either member or as the introducer. */
  introductions: {
    id: string;
    memberAId: string;
    memberBId: string;
    introducedById: string;
    organizationId: string | null;
    note: string;
    memberAAnswer: string;
    memberBAnswer: string;
    memberAAnsweredAt: string | null;
    memberBAnsweredAt: string | null;
    createdAt: string;
  }[];
  note: string;
};

/** A member's rows in matching's read models of places and referrals, for the export. */
export type TMemberFacts = { homeSpaces: readonly HomeSpace[]; referral: Referral | null };

/** The member's rows of people finding people (issue 11), for the export. */
export type TPeopleData = {
  helpRequests: readonly (HelpRequest & { skills: HelpRequestSkill[] })[];
  introductions: readonly Introduction[];
};

const iso = (date: Date | null) => date?.toISOString() ?? null;

/**
 * What matching holds about one member, for the member's data export (APPI disclosure): the
 * worker read model row, the member's consents, home spaces and referral row as matching keeps
 * them, every column. Work
 * orders name organisations, never members, and no work is assigned to members yet — once it
 * is, the assignments belong here too (and in events/member-erasure.ts).
 */
export function exportMemberData(
  worker: Worker | null,
  consents: readonly MemberConsent[],
  facts: TMemberFacts = { homeSpaces: [], referral: null },
  people: TPeopleData = { helpRequests: [], introductions: [] },
): TMemberDataExport {
  return {
    worker: worker && {
      memberId: worker.memberId,
      displayName: worker.displayName,
      kind: worker.kind,
      municipalityCode: worker.municipalityCode,
      availableHoursPerWeek: worker.availableHoursPerWeek,
      skills: readSkills(worker.skills),
      profileVisibility: worker.profileVisibility,
      registeredAt: worker.registeredAt.toISOString(),
      sourceEventAt: worker.sourceEventAt.toISOString(),
      updatedAt: worker.updatedAt.toISOString(),
    },
    consents: consents.map((consent) => ({
      recipientOrganizationId: consent.recipientOrganizationId,
      purpose: consent.purpose,
      noticeVersion: consent.noticeVersion,
      grantedAt: iso(consent.grantedAt),
      withdrawnAt: iso(consent.withdrawnAt),
      sourceEventAt: consent.sourceEventAt.toISOString(),
      updatedAt: consent.updatedAt.toISOString(),
    })),
    assignments: [],
    homeSpaces: facts.homeSpaces.map((home) => ({
      membershipId: home.membershipId,
      spaceId: home.spaceId,
      municipalityCode: home.municipalityCode,
      plan: home.plan,
      startsOn: home.startsOn.toISOString().slice(0, 10),
      endsOn: home.endsOn?.toISOString().slice(0, 10) ?? null,
      sourceEventAt: home.sourceEventAt.toISOString(),
      updatedAt: home.updatedAt.toISOString(),
    })),
    referral: facts.referral && {
      referredById: facts.referral.referredById,
      profileVisibility: facts.referral.profileVisibility,
      sourceEventAt: facts.referral.sourceEventAt.toISOString(),
      updatedAt: facts.referral.updatedAt.toISOString(),
    },
    helpRequests: people.helpRequests.map((request) => ({
      id: request.id,
      title: request.title,
      description: request.description,
      skills: request.skills.map(({ code, minLevel }) => ({ code, minLevel })),
      municipalityCode: request.municipalityCode,
      spaceId: request.spaceId,
      visibleTo: request.visibleTo,
      status: request.status,
      createdAt: request.createdAt.toISOString(),
      closedAt: iso(request.closedAt),
    })),
    introductions: people.introductions.map((introduction) => ({
      id: introduction.id,
      memberAId: introduction.memberAId,
      memberBId: introduction.memberBId,
      introducedById: introduction.introducedById,
      organizationId: introduction.organizationId,
      note: introduction.note,
      memberAAnswer: introduction.memberAAnswer,
      memberBAnswer: introduction.memberBAnswer,
      memberAAnsweredAt: iso(introduction.memberAAnsweredAt),
      memberBAnsweredAt: iso(introduction.memberBAnsweredAt),
      createdAt: introduction.createdAt.toISOString(),
    })),
    note: 'マッチングサービスが保持するのは、会員サービスから受け取ったワーカー情報 (worker: 表示名・種別・市区町村・稼働可能時間・スキル・公開範囲) と、パートナーへの同意の写し (consents: 受け取る組織・利用目的・通知の版)、拠点サービスから受け取った所属拠点 (homeSpaces: 拠点・プラン・期間)、紹介者と公開範囲の写し (referral: 信頼度の計算用)、本人の相談 (helpRequests) と本人が関わる紹介 (introductions) です。仕事の割り当て (assignments) はまだ記録していません (matching holds the worker profile it receives from the members service, a copy of the member’s consents to partners — recipient, purpose, notice version — to decide partner reads, their home spaces from the spaces service — space, plan, days — and who introduced them with their profile visibility, for trust in ranking, the member’s help requests and the introductions naming them; it records no assignments of work to members yet)',
  };
}
