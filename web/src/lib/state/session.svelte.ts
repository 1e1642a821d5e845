import type { Capability } from '../../../../geo/operations.ts';
import type { Capability as PolicyCapability } from '../../../../server/policy.ts';
import { api } from '../api.ts';
import type { Account } from '../types.ts';

/**
 * Who is signed in. The session itself is an HttpOnly cookie the page cannot read: the account
 * comes from GET /api/session on load and from the sign-in answer.
 */
export class SessionState {
  account = $state.raw<Account | null>(null);
  /** GET /api/session has answered (until then nothing private is requested). */
  checked = $state(false);
  busy = $state(false);
  error = $state.raw<unknown>(null);
  /** Why the server ended the session ('signed_out', 'expired', 'disabled'…), until dismissed. */
  ended = $state<string | null>(null);

  async load() {
    try {
      this.account = (await api.session()).account;
    } catch {
      // An unreachable server shows as the published view; the boot error says the rest.
      this.account = null;
    } finally {
      this.checked = true;
    }
  }

  async signIn(username: string, password: string): Promise<Account | null> {
    this.busy = true;
    this.error = null;
    try {
      const { account } = await api.signIn(username, password);
      this.account = account;
      this.ended = null;
      return account;
    } catch (err) {
      // shown through errorText, in the UI's language
      this.error = err;
      return null;
    } finally {
      this.busy = false;
    }
  }

  async signOut() {
    this.busy = true;
    try {
      await api.signOut();
    } catch {
      // the cookie may already be gone: signed out either way
    } finally {
      this.account = null;
      this.busy = false;
    }
  }

  /** The server ended the session: nothing private is shown any more, and the user is told why. */
  end(reason: string) {
    this.account = null;
    this.ended = reason;
  }

  can(capability: Capability | FutureCapability): boolean {
    return (this.account?.can as readonly string[] | undefined)?.includes(capability) ?? false;
  }

  /** Ticket and hazard point layers: every account that reads tickets, and planners (points.read). */
  get pointsReadable(): boolean {
    return this.can('points.read') || this.can('tickets.read');
  }

  get hazardPointsReadable(): boolean {
    return this.can('points.read') || this.can('hazards.read');
  }

  /** The workspace lists and a ticket's detail card (planners get aggregates only). */
  get listsReadable(): boolean {
    return this.can('tickets.read');
  }

  get hazardsReadable(): boolean {
    return this.can('hazards.read');
  }

  /** May click a ticket point open (and so is told 点击查看 over one). */
  get ticketsOpenable(): boolean {
    return this.can('tickets.read');
  }

  get hazardsOpenable(): boolean {
    return this.can('hazards.read');
  }

  /** Whistles are read by whoever works tickets (not sentinels, not planners), as the server rules. */
  get whistlesReadable(): boolean {
    return this.can('whistles.read');
  }

  get patrolsReadable(): boolean {
    return this.can('patrols.read');
  }
}

/** Capabilities the access policy (server/policy.ts) grants beyond the roles' own. */
export type FutureCapability = Exclude<PolicyCapability, Capability>;
