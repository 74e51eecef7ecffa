// A lesson is plain HTML and forms: no framework code is sent. A lesson with a video loads only the player.
export const csr = false;
