// Tables of attempts, progress, completion records and assignments (migrations 2026_11_26_10xxxx_*).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LearningTables {}
