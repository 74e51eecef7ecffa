import type { Actions } from './$types';
import { cardLoginAction } from './card-login.server';

export const csr = false;

export const actions: Actions = { default: cardLoginAction };
