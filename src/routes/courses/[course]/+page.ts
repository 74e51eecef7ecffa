// Browsing the catalog needs no script: plain links and a GET form.
export const csr = false;
