export { pgDatabase } from '@hub/testing';
