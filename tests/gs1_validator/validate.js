// Reads a JSON array of URIs on stdin; writes, for each, whether GS1's digital-link.js finds it
// a valid GS1 Digital Link and which lot (AI 10) it read, percent-decoded.
'use strict';
const { DigitalLink } = require('digital-link.js');

const read = (uri) => {
  try {
    const link = DigitalLink(uri);
    const lot = link.getKeyQualifier('10');
    return { uri, valid: link.isValid(), lot: lot === undefined ? null : decodeURIComponent(lot) };
  } catch (error) {
    return { uri, valid: false, lot: null, error: String(error.message || error) };
  }
};

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  process.stdout.write(JSON.stringify(JSON.parse(input).map(read)));
});
