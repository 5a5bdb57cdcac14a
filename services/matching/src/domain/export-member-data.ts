import type {
  Assignment,
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
  assignments: {
    id: string;
    workOrderId: string;
    role: string;
    status: string;
    allocatedVolume: number;
    deliveredVolume: number | null;
    rating: number | null;
    offeredAt: string;
    answeredAt: string | null;
    startedAt: string | null;
    completedAt: string | null;
  }[];
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
export type TMemberFacts = {
  homeSpaces: readonly HomeSpace[];
  referral: Referral | null;
  assignments: readonly Assignment[];
};

/** The member's rows of people finding people (issue 11), for the export. */
export type TPeopleData = {
  helpRequests: readonly (HelpRequest & { skills: HelpRequestSkill[] })[];
  introductions: readonly Introduction[];
};

const iso = (date: Date | null) => date?.toISOString() ?? null;

/**
 * What matching holds about one member, for the member's data export (APPI disclosure): the
 * worker read model row, the member's consents, home spaces and referral row as matching keeps
 * them, every column, and the work assigned to them (events/member-erasure.ts removes or
 * detaches the same rows).
 */
export function exportMemberData(
  worker: Worker | null,
  consents: readonly MemberConsent[],
  facts: TMemberFacts = { homeSpaces: [], referral: null, assignments: [] },
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
    assignments: facts.assignments.map((assignment) => ({
      id: assignment.id,
      workOrderId: assignment.workOrderId,
      role: assignment.role,
      status: assignment.status,
      allocatedVolume: assignment.allocatedVolume,
      deliveredVolume: assignment.deliveredVolume,
      rating: assignment.rating,
      offeredAt: assignment.createdAt.toISOString(),
      answeredAt: iso(assignment.answeredAt),
      startedAt: iso(assignment.startedAt),
      completedAt: iso(assignment.completedAt),
    })),
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
    note: 'マッチングサービスが保持するのは、会員サービスから受け取ったワーカー情報 (worker: 表示名・種別・市区町村・稼働可能時間・スキル・公開範囲) と、パートナーへの同意の写し (consents: 受け取る組織・利用目的・通知の版)、拠点サービスから受け取った所属拠点 (homeSpaces: 拠点・プラン・期間)、紹介者と公開範囲の写し (referral: 信頼度の計算用)、仕事の割り当て (assignments: 発注・役割・量・状態・評価)、本人の相談 (helpRequests) と本人が関わる紹介 (introductions) です (matching holds the worker profile it receives from the members service, a copy of the member’s consents to partners — recipient, purpose, notice version — to decide partner reads, their home spaces from the spaces service — space, plan, days — who introduced them with their profile visibility, for trust in ranking, the work assigned to them — order, role, volumes, status, rating — the member’s help requests and the introductions naming them)',
  };
}
