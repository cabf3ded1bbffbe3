import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { McpTool } from '../mcp/mcp-tool.decorator.js';
import { MCP_TOOL_METADATA } from '../mcp/mcp.constants.js';
import { REQUIRED_SCOPES_METADATA } from './scopes.constants.js';
import { RequireScopes } from './require-scopes.decorator.js';

describe('RequireScopes', () => {
  it('throws at decoration time without any scope, pointing to @Public()', () => {
    expect(() => RequireScopes()).toThrow(TypeError);
    expect(() => RequireScopes()).toThrow(/at least one scope.*@Public\(\)/);
  });

  it.each<[string, string]>([
    ['an empty string', ''],
    ['a space inside', 'todo:read todo:write'],
    ['a leading space', ' todo:read'],
    ['a tab', 'todo:\tread'],
    ['a newline', 'todo:read\n'],
    ['a double quote', 'todo:"read"'],
    ['a backslash', 'todo\\read'],
    ['a non-ASCII character', 'tödo:read'],
    ['a control character', 'todo\u0000'],
  ])('rejects a scope with %s, quoting it in the message', (_name, scope) => {
    expect(() => RequireScopes(scope)).toThrow(TypeError);
    expect(() => RequireScopes(scope)).toThrow(`@RequireScopes(): ${JSON.stringify(scope)} is not a valid scope`);
  });

  it('rejects the whole list when one scope is invalid', () => {
    expect(() => RequireScopes('todo:read', 'bad scope', 'todo:write')).toThrow('"bad scope"');
  });

  it('rejects a non-string scope passed from untyped code', () => {
    expect(() => RequireScopes(...([42] as unknown as string[]))).toThrow(TypeError);
  });

  it('throws while the class is being declared, not later', () => {
    const declare = () => {
      class Controller {
        @RequireScopes('has space')
        handler(): void {}
      }
      return Controller;
    };
    expect(declare).toThrow(TypeError);
  });

  it('stores the scopes on a method and on a class', () => {
    @RequireScopes('todo:admin')
    class TodoTools {
      @RequireScopes('todo:write', 'todo:read')
      create(): void {}
    }
    expect(Reflect.getMetadata(REQUIRED_SCOPES_METADATA, TodoTools)).toEqual(['todo:admin']);
    expect(Reflect.getMetadata(REQUIRED_SCOPES_METADATA, TodoTools.prototype.create)).toEqual([
      'todo:write',
      'todo:read',
    ]);
  });

  it('copies the scope list', () => {
    const scopes = ['todo:read'];
    class Tools {
      @RequireScopes(...scopes)
      read(): void {}
    }
    scopes.push('todo:write');
    expect(Reflect.getMetadata(REQUIRED_SCOPES_METADATA, Tools.prototype.read)).toEqual(['todo:read']);
  });

  it.each(['todo:read', 'a', 'https://api.example.com/todo.read', "x!#$%&'()*+,-./:;<=>?@[]^_`{|}~"])(
    'accepts the scope-token %s',
    (scope) => {
      expect(() => RequireScopes(scope)).not.toThrow();
    },
  );
});

describe('McpTool', () => {
  it.each<[string, unknown]>([
    ['an empty name', ''],
    ['a name with a space', 'create todo'],
    ['a name with a slash', 'todos/create'],
    ['a name with a colon', 'todo:create'],
    ['a name with a non-ASCII letter', 'lösche'],
    ['a name of 129 characters', 'a'.repeat(129)],
    ['a name with a newline', 'create_todo\n'],
    ['a non-string name', 42],
    ['undefined', undefined],
  ])('rejects %s', (_name, name) => {
    expect(() => McpTool(name as string)).toThrow(TypeError);
    expect(() => McpTool(name as string)).toThrow(/@McpTool\(\): .* is not a valid MCP tool name/);
  });

  it.each(['create_todo', 'a', 'Tool.v2-beta', 'a'.repeat(128), '0123'])('accepts %s and stores it', (name) => {
    class Tools {
      @McpTool(name)
      handler(): void {}
    }
    expect(Reflect.getMetadata(MCP_TOOL_METADATA, Tools.prototype.handler)).toBe(name);
  });
});
