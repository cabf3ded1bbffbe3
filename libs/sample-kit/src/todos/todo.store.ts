import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

/** A todo item, as tools return it. */
export interface Todo {
  id: string;
  title: string;
  completed: boolean;
}

/** Thrown when a todo does not exist for this user (another user's todo is treated the same). */
export class TodoNotFoundError extends Error {
  constructor(id: string) {
    super(`Todo ${JSON.stringify(id)} was not found.`);
    this.name = 'TodoNotFoundError';
  }
}

/** In-memory todo lists, one per principal (`AuthInfo.principal`): a user never sees or changes another's todos. */
@Injectable()
export class TodoStore {
  private readonly listsByPrincipal = new Map<string, Map<string, Todo>>();

  list(principal: string): Todo[] {
    return [...this.listFor(principal).values()].map((todo) => ({ ...todo }));
  }

  create(principal: string, title: string): Todo {
    const todo: Todo = { id: randomUUID(), title, completed: false };
    this.listFor(principal).set(todo.id, todo);
    return { ...todo };
  }

  complete(principal: string, id: string): Todo {
    const todo = this.listFor(principal).get(id);
    if (!todo) throw new TodoNotFoundError(id);
    todo.completed = true;
    return { ...todo };
  }

  delete(principal: string, id: string): Todo {
    const list = this.listFor(principal);
    const todo = list.get(id);
    if (!todo) throw new TodoNotFoundError(id);
    list.delete(id);
    return { ...todo };
  }

  private listFor(principal: string): Map<string, Todo> {
    let list = this.listsByPrincipal.get(principal);
    if (!list) {
      list = new Map();
      this.listsByPrincipal.set(principal, list);
    }
    return list;
  }
}
