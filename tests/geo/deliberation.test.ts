import { describe, expect, it } from 'vitest';
import {
  addDays,
  effectOf,
  effectWindows,
  fitsResource,
  FLOW,
  isOverdue,
  nextStage,
  PROPOSAL_STAGES,
  PROPOSAL_STEPS,
  resourceLeft,
  servesCompound,
  stageDeadline,
  stepRefusal,
  stepsFrom,
  topicOfCategory,
  categoryOfTopic,
} from '../../geo/deliberation.ts';

describe('the proposal flow', () => {
  it('follows 业主建议 → 党组织审议 → 联席商议 → 结果公开, with return and reject at review', () => {
    expect(nextStage('submitted', 'accept')).toBe('accepted');
    expect(nextStage('submitted', 'return')).toBe('returned');
    expect(nextStage('submitted', 'reject')).toBe('rejected');
    expect(nextStage('returned', 'resubmit')).toBe('submitted');
    expect(nextStage('accepted', 'decide')).toBe('decided');
    expect(nextStage('decided', 'publish')).toBe('published');
  });

  it('refuses every other step, saying where the proposal stands and what it may do', () => {
    let allowed = 0;
    for (const stage of PROPOSAL_STAGES)
      for (const step of PROPOSAL_STEPS) {
        const ok = nextStage(stage, step) !== null;
        expect(stepRefusal(stage, step) === null).toBe(ok);
        if (ok) allowed++;
      }
    expect(allowed).toBe(6);
    expect(stepRefusal('submitted', 'publish')).toContain('submitted');
    expect(stepRefusal('submitted', 'publish')).toContain('decided');
    expect(stepRefusal('published', 'accept')).toContain('its flow has ended');
    expect(stepsFrom('rejected')).toEqual([]);
    expect(stepsFrom('submitted')).toEqual(['accept', 'return', 'reject']);
  });

  it('gives proposing to deliberation.propose and every decision to deliberation.manage', () => {
    expect(FLOW.submit.capability).toBe('deliberation.propose');
    expect(FLOW.resubmit.capability).toBe('deliberation.propose');
    for (const s of ['accept', 'return', 'reject', 'decide', 'publish'] as const)
      expect(FLOW[s].capability).toBe('deliberation.manage');
  });
});

describe('deadlines', () => {
  it('review within 15 days, the meeting within 30, a decision by its due date', () => {
    expect(stageDeadline({ stage: 'submitted', stagedOn: '2026-11-01', dueOn: null })).toBe(
      '2026-11-16',
    );
    expect(stageDeadline({ stage: 'accepted', stagedOn: '2026-11-01', dueOn: null })).toBe(
      '2026-12-01',
    );
    expect(stageDeadline({ stage: 'decided', stagedOn: '2026-11-01', dueOn: '2026-12-24' })).toBe(
      '2026-12-24',
    );
    expect(stageDeadline({ stage: 'published', stagedOn: '2026-11-01', dueOn: null })).toBeNull();
    const p = { stage: 'submitted' as const, stagedOn: '2026-11-01', dueOn: null };
    expect(isOverdue(p, '2026-11-16')).toBe(false);
    expect(isOverdue(p, '2026-11-17')).toBe(true);
  });
});

describe('matching', () => {
  it("never lets a resource's matches exceed what it offers (to the cent)", () => {
    expect(resourceLeft(10000, [4000, 5000])).toBe(1000);
    expect(fitsResource(10000, [4000, 5000], 1000)).toBe(true);
    expect(fitsResource(10000, [4000, 5000], 1000.01)).toBe(false);
    expect(fitsResource(0.3, [0.1], 0.2)).toBe(true);
    expect(fitsResource(100, [], 0)).toBe(false);
  });

  it('a resource serves the compounds under the place it is offered to', () => {
    expect(servesCompound([1, 2, 3], [1, 2, 3, 4, 5])).toBe(true);
    expect(servesCompound([1, 2, 9], [1, 2, 3, 4, 5])).toBe(false);
    expect(servesCompound([1, 2, 3, 4, 5], [1, 2, 3, 4, 5])).toBe(true);
  });

  it('counts topics against ticket categories and back', () => {
    expect(categoryOfTopic('pipes')).toBe('facilities');
    expect(categoryOfTopic('elevator')).toBe('facilities');
    expect(topicOfCategory('facilities')).toBe('pipes');
    expect(topicOfCategory('dispute')).toBe('other');
  });
});

describe('before and after', () => {
  it('equal windows around completion, as long as the time since allows (at most 90 days)', () => {
    expect(effectWindows('2026-10-01', '2026-11-30')).toEqual({
      before: ['2026-08-02', '2026-10-01'],
      after: ['2026-10-01', '2026-11-30'],
      days: 60,
    });
    expect(effectWindows('2026-01-01', '2026-11-30')?.days).toBe(90);
    expect(effectWindows('2026-11-30', '2026-11-30')).toBeNull();
    expect(effectWindows(null, '2026-11-30')).toBeNull();
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('the change and its share', () => {
    expect(effectOf(20, 12)).toEqual({ before: 20, after: 12, change: -8, changeShare: -0.4 });
    expect(effectOf(0, 3).changeShare).toBeNull();
  });
});
