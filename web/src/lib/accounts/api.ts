/**
 * The account-management calls (docs/API.md, "Account management"): the accounts a manager
 * reaches, creating and rebinding them, disabling, resetting a password, and changing one's own.
 */
import type { Role } from '../../../../geo/operations.ts';
import type { AreaLevel } from '../../../../geo/vocabulary.ts';
import { ApiError, apiUrl, type ErrorBody } from '../api.ts';

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

async function call<T>(
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  const res = await fetch(url, {
    method,
    signal,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) {
    let error: ErrorBody['error'] = {};
    try {
      error = ((await res.json()) as ErrorBody).error ?? {};
    } catch {
      // not JSON: the status says enough
    }
    throw new ApiError(
      res.status,
      error.code ?? 'internal',
      error.message ?? `${res.status} ${res.statusText}`,
      error.field,
      error.reason,
    );
  }
  return (res.status === 204 ? null : await res.json()) as T;
}

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
