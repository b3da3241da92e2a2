export { readFile, type StoredFile, storeFile } from './files.service.js';
