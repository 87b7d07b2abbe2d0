import assert from 'node:assert/strict';
import { test } from 'node:test';
import { camelCase, ImportSet, kebabCase, logicName, pascalCase } from './names.ts';

test('case conversions split words at case changes, digits stay in their word', () => {
  assert.equal(kebabCase('GetUser'), 'get-user');
  assert.equal(kebabCase('GetAPIValue'), 'get-api-value');
  assert.equal(camelCase('get_user_v2'), 'getUserV2');
  assert.equal(camelCase('ListOrders'), 'listOrders');
  assert.equal(pascalCase('order-api'), 'OrderApi');
});

test('logic names never collide with reserved words or the generated code\'s own names', () => {
  assert.equal(logicName('GetUser'), 'getUser');
  assert.equal(logicName('Delete'), 'deleteLogic');
  assert.equal(logicName('New'), 'newLogic');
  assert.equal(logicName('Svc'), 'svcLogic');
});

test('ImportSet aliases a name wanted from two modules and merges type-only imports', () => {
  const imports = new ImportSet();
  assert.equal(imports.add('./a.ts', 'Money', true), 'Money');
  assert.equal(imports.add('./b.ts', 'Money'), 'Money2');
  assert.equal(imports.add('./a.ts', 'Item'), 'Item');
  assert.equal(imports.add('zod', 'z'), 'z');
  assert.equal(imports.render(), "import { z } from 'zod';\nimport { Item, type Money } from './a.ts';\nimport { Money as Money2 } from './b.ts';");
});
