export { invoiceLifecycle } from './invoice-lifecycle.js';
