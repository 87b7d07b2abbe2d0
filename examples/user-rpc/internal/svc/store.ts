/** The example's data: three users and their orders, in memory (a real service has a database). */
export interface UserRecord {
  id: string;
  name: string;
  email: string;
}

export interface OrderRecord {
  id: string;
  userId: string;
  item: string;
  quantity: number;
}

/** What the logic needs from storage. */
export interface UserStore {
  user(id: string): UserRecord | undefined;
  ordersOf(userId: string): OrderRecord[];
}

export function memoryStore(): UserStore {
  const users = new Map<string, UserRecord>([
    ['1', { id: '1', name: 'Ada Lovelace', email: 'ada@example.com' }],
    ['2', { id: '2', name: 'Grace Hopper', email: 'grace@example.com' }],
    ['3', { id: '3', name: 'Alan Turing', email: 'alan@example.com' }],
  ]);
  const orders: OrderRecord[] = [
    { id: 'o-100', userId: '1', item: 'analytical engine', quantity: 1 },
    { id: 'o-101', userId: '1', item: 'punched cards', quantity: 500 },
    { id: 'o-200', userId: '2', item: 'compiler manual', quantity: 2 },
  ];
  return {
    user: (id) => users.get(id),
    ordersOf: (userId) => orders.filter((o) => o.userId === userId),
  };
}
