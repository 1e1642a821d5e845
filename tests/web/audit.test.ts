import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAZARD_ACTIONS, TICKET_ACTIONS } from '../../geo/operations.ts';
import { CASE_ACTIONS } from '../../server/services/supervision.ts';
import {
  auditActionLabel,
  auditChange,
  roleLabel,
  type AuditRow,
} from '../../web/src/lib/audit.ts';

const row = (r: Partial<AuditRow>): AuditRow => ({
  id: 1,
  at: '2026-11-26T08:00:00Z',
  actor: 'community',
  role: 'community',
  action: 'ticket.dispatch',
  entity: 'ticket',
  entityId: '42',
  before: null,
  after: null,
  ...r,
});

describe('audit log wording', () => {
  it('names lifecycle steps with their noun, and the other writes by their own label', () => {
    expect(auditActionLabel('ticket.dispatch', 'zh')).toBe('工单派单');
    expect(auditActionLabel('ticket.dispatch', 'en')).toBe('Ticket: dispatch');
    expect(auditActionLabel('hazard.verify', 'zh')).toBe('隐患验收通过');
    expect(auditActionLabel('whistle.report_in', 'zh')).toBe('报到');
    expect(auditActionLabel('session.create', 'en')).toBe('Signed in');
    expect(auditActionLabel('session.fail', 'zh')).toBe('登录失败');
    expect(auditActionLabel('account.reset_password', 'zh')).toBe('重置密码');
    expect(auditActionLabel('account.disable', 'en')).toBe('Account disabled');
    expect(auditActionLabel('building_steward.assign', 'zh')).toBe('确定党员中心户');
    expect(auditActionLabel('followup.open', 'zh')).toBe('建立包抓方案');
    expect(auditActionLabel('credit.publish', 'en')).toBe('Red/black list published');
    expect(auditActionLabel('supervision.close', 'zh')).toBe('督办结案');
    // an action this build does not know yet is shown as recorded, not hidden
    expect(auditActionLabel('ledger.archive', 'zh')).toBe('ledger.archive');
    expect(roleLabel('property_company', 'zh')).toBe('物业企业');
  });

  it('summarises a status move, changed fields, and what a new record is called', () => {
    expect(
      auditChange(
        row({
          before: { status: 'received', propertyCompanyId: 15, dueAt: '2026-11-27T00:00:00Z' },
          after: { status: 'dispatched', propertyCompanyId: 16, dueAt: '2026-11-28T00:00:00Z' },
        }),
        'zh',
      ),
    ).toBe('已受理 → 已派单 · propertyCompanyId: 15 → 16');
    expect(
      auditChange(
        row({ action: 'ticket.create', after: { status: 'received', title: '楼道灯不亮' } }),
        'zh',
      ),
    ).toBe('已受理 · 楼道灯不亮');
    expect(
      auditChange(row({ before: { status: 'accepted' }, after: { status: 'accepted' } }), 'en'),
    ).toBe('');
  });
});

describe('every action the server audits has a label', () => {
  // Actions built from a step list in the service (`supervision.${input.action}`): the steps.
  // Tickets' and hazards' steps come from geo/operations.ts, labelled through the noun above.
  const STEPS: Record<string, readonly string[]> = {
    supervision: CASE_ACTIONS,
    ticket: TICKET_ACTIONS.map((a) => a.key),
    hazard: HAZARD_ACTIONS.map((a) => a.key),
  };

  it('reads the actions out of the services and labels each in both languages', () => {
    const dir = new URL('../../server/services/', import.meta.url);
    const actions = new Set<string>();
    for (const file of readdirSync(dir)) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      for (const m of text.matchAll(/action: '([a-z_]+\.[a-z_]+)'/g)) actions.add(m[1]!);
      for (const m of text.matchAll(/action: `([a-z_]+)\.\$\{/g)) {
        const steps = STEPS[m[1]!];
        if (!steps) throw new Error(`${file}: actions ${m[1]}.* from an unknown step list`);
        for (const step of steps) actions.add(`${m[1]}.${step}`);
      }
    }
    expect(actions.size).toBeGreaterThan(30);
    const unlabelled = [...actions].filter(
      (a) => auditActionLabel(a, 'zh') === a || auditActionLabel(a, 'en') === a,
    );
    expect(unlabelled).toEqual([]);
  });
});
