/** Query parameter naming the attempt whose result the lesson page shows (after a submission redirects there). */
export const ATTEMPT_PARAM = 'lan-lam';
