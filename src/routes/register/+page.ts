// A plain HTML form: no framework code is sent. The unit search loads its own small script.
export const csr = false;
