/**
 * The account-management calls (docs/API.md, "Account management"): the accounts a manager
 * reaches, creating and rebinding them, disabling, resetting a password, and changing one's own.
 */
import type { Role } from '../../../../geo/operations.ts';
import type { AreaLevel } from '../../../../geo/vocabulary.ts';
import { apiUrl, send } from '../api.ts';

/** An account as its manager sees it. */
export interface ManagedAccount {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  phone: string | null;
  scope: {
    kind: 'city' | 'area' | 'property_company' | 'department';
    id: number | null;
    level: AreaLevel | null;
    name: string;
  };
  disabled: boolean;
  demo: boolean;
  createdAt: string;
  passwordChangedAt: string | null;
  disabledAt: string | null;
}

export interface AccountPage {
  items: ManagedAccount[];
  total: number;
  limit: number;
  offset: number;
}

export interface NewAccount {
  username: string;
  displayName: string;
  role: Role;
  password: string;
  phone?: string | null;
  areaId?: number | null;
  propertyCompanyId?: number | null;
  departmentId?: number | null;
}

/** An area an account may be bound to, with the names of the areas above it. */
export interface BindingArea {
  id: number;
  level: AreaLevel;
  name: string;
  code: string | null;
  parents: string;
}

export interface DemoInfo {
  demo: boolean;
  usernames: string[];
}

/** The dashboard's one way of calling the API (errors carry code, field and reason). */
const call = <T>(
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> => send<T>(method, url, body, { signal });

export const accountsApi = {
  demo: (signal?: AbortSignal) =>
    call<DemoInfo>('GET', apiUrl('/accounts/demo'), undefined, signal),
  list: (
    query: { q?: string; role?: Role | ''; limit?: number; offset?: number },
    signal?: AbortSignal,
  ) => call<AccountPage>('GET', apiUrl('/accounts', query), undefined, signal),
  areas: (role: Role, q: string, signal?: AbortSignal) =>
    call<{ items: BindingArea[] }>(
      'GET',
      apiUrl('/accounts/areas', { role, q }),
      undefined,
      signal,
    ),
  create: (body: NewAccount) => call<ManagedAccount>('POST', apiUrl('/accounts'), body),
  update: (id: number, body: Partial<Omit<NewAccount, 'username' | 'password'>>) =>
    call<ManagedAccount>('PATCH', apiUrl(`/accounts/${id}`), body),
  disable: (id: number) => call<ManagedAccount>('POST', apiUrl(`/accounts/${id}/disable`)),
  enable: (id: number) => call<ManagedAccount>('POST', apiUrl(`/accounts/${id}/enable`)),
  resetPassword: (id: number, password: string) =>
    call<ManagedAccount>('POST', apiUrl(`/accounts/${id}/password`), { password }),
  changeOwnPassword: (currentPassword: string, newPassword: string) =>
    call<null>('POST', apiUrl('/accounts/me/password'), { currentPassword, newPassword }),
};
