// Tables of accounts, sessions and administrative units (migrations 2026_11_26_09xxxx_*).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AccountsTables {}
