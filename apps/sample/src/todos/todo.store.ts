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

/** In-memory todo lists, one per subject (`sub`): a user never sees or changes another's todos. */
@Injectable()
export class TodoStore {
  private readonly listsBySubject = new Map<string, Map<string, Todo>>();

  list(subject: string): Todo[] {
    return [...this.listFor(subject).values()].map((todo) => ({ ...todo }));
  }

  create(subject: string, title: string): Todo {
    const todo: Todo = { id: randomUUID(), title, completed: false };
    this.listFor(subject).set(todo.id, todo);
    return { ...todo };
  }

  complete(subject: string, id: string): Todo {
    const todo = this.listFor(subject).get(id);
    if (!todo) throw new TodoNotFoundError(id);
    todo.completed = true;
    return { ...todo };
  }

  delete(subject: string, id: string): Todo {
    const list = this.listFor(subject);
    const todo = list.get(id);
    if (!todo) throw new TodoNotFoundError(id);
    list.delete(id);
    return { ...todo };
  }

  private listFor(subject: string): Map<string, Todo> {
    let list = this.listsBySubject.get(subject);
    if (!list) {
      list = new Map();
      this.listsBySubject.set(subject, list);
    }
    return list;
  }
}
