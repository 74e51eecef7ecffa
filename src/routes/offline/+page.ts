// Shown by the service worker when a page that was not stored is opened without signal. No framework code.
export const csr = false;
