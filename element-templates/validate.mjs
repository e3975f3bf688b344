// Validates every element template given on the command line (or every *.json in this folder) with the
// official validator of the Camunda Modeler; exits 1 with the errors when one is invalid.
import { validateZeebe } from '@bpmn-io/element-templates-validator';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const files = process.argv.length > 2
  ? process.argv.slice(2)
  : readdirSync('.').filter((f) => f.endsWith('.json') && !f.startsWith('package')).map((f) => join('.', f));

let failed = 0;
for (const file of files) {
  const text = readFileSync(file, 'utf-8');
  const templates = [].concat(JSON.parse(text));
  for (const template of templates) {
    const { valid, errors } = validateZeebe(template);
    if (valid) {
      console.log(`valid   ${file} (${template.id} v${template.version})`);
    } else {
      failed++;
      console.error(`INVALID ${file} (${template.id}):`);
      for (const e of errors) console.error(`  ${e.instancePath || e.dataPath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
    }
  }
}
if (files.length === 0) {
  console.error('no element templates found');
  process.exit(1);
}
process.exit(failed ? 1 : 0);
