import { PostgresAdapter, sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';

// Frozen in time: this file must never import from api/modules. It runs on SQLite and PostgreSQL.

export async function up(db: Kysely<any>): Promise<void> {
  const isPg = db.getExecutor().adapter instanceof PostgresAdapter;
  const idType = isPg ? 'serial' : 'integer';
  const id = (c: ColumnDefinitionBuilder) => (isPg ? c.primaryKey() : c.primaryKey().autoIncrement());
  const ref = (table: string) => (c: ColumnDefinitionBuilder) => c.references(`${table}.id`).onDelete('cascade');

  await db.schema
    .createTable('agents')
    .addColumn('id', idType, id)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'agent')`))
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', idType, id)
    .addColumn('agent_id', 'integer', (c) => ref('agents')(c).notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('label', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('expires_at', 'bigint')
    .execute();

  await db.schema
    .createTable('customers')
    .addColumn('id', idType, id)
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('name_folded', 'text', (c) => c.notNull())
    .addColumn('company', 'text')
    .addColumn('locale', 'text')
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('custom_fields', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customers_name_folded').on('customers').column('name_folded').execute();

  await db.schema
    .createTable('identities')
    .addColumn('id', idType, id)
    .addColumn('customer_id', 'integer', (c) => ref('customers')(c).notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('normalized', 'text', (c) => c.notNull())
    .addColumn('linked_by', 'text', (c) => c.notNull())
    .addColumn('linked_by_agent_id', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('identities_kind_normalized', ['kind', 'normalized'])
    .execute();
  await db.schema.createIndex('identities_customer').on('identities').column('customer_id').execute();
  // Prefix search over every identity regardless of kind.
  await db.schema.createIndex('identities_normalized').on('identities').column('normalized').execute();

  await db.schema
    .createTable('tickets')
    .addColumn('id', idType, id)
    .addColumn('customer_id', 'integer', (c) => ref('customers')(c).notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('open', 'pending', 'resolved', 'closed')`),
    )
    .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('priority', 'text', (c) => c.notNull().check(sql`priority in ('low', 'normal', 'high', 'urgent')`))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('first_response_at', 'bigint')
    .addColumn('resolved_at', 'bigint')
    .addColumn('source_url', 'text')
    .addColumn('source_key', 'text', (c) => c.unique())
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tickets_customer').on('tickets').columns(['customer_id', 'created_at']).execute();
  await db.schema.createIndex('tickets_status').on('tickets').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('interactions')
    .addColumn('id', idType, id)
    .addColumn('customer_id', 'integer', (c) => ref('customers')(c).notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ('inbound', 'outbound', 'internal')`))
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('excerpt', 'text')
    .addColumn('url', 'text')
    .addColumn('external_id', 'text')
    .addColumn('agent_id', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    // Logging the same email or tweet twice is a no-op (NULL external ids never clash).
    .addUniqueConstraint('interactions_channel_external', ['channel', 'external_id'])
    .execute();
  await db.schema
    .createIndex('interactions_customer_time')
    .on('interactions')
    .columns(['customer_id', 'occurred_at', 'id'])
    .execute();
  await db.schema.createIndex('interactions_time').on('interactions').columns(['occurred_at']).execute();
  await db.schema.createIndex('interactions_ticket').on('interactions').columns(['ticket_id', 'occurred_at']).execute();

  await db.schema
    .createTable('notes')
    .addColumn('id', idType, id)
    .addColumn('customer_id', 'integer', (c) => ref('customers')(c).notNull())
    .addColumn('agent_id', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notes_customer').on('notes').columns(['customer_id', 'created_at']).execute();

  await db.schema
    .createTable('orders')
    .addColumn('id', idType, id)
    .addColumn('customer_id', 'integer', (c) => ref('customers')(c).notNull())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total_cents', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('placed_at', 'bigint', (c) => c.notNull())
    .addColumn('items', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema.createIndex('orders_customer').on('orders').columns(['customer_id', 'placed_at']).execute();

  await db.schema
    .createTable('reply_templates')
    .addColumn('id', idType, id)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('shortcut', 'text', (c) => c.notNull().unique())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', idType, id)
    .addColumn('agent_id', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer')
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_entity').on('audit_log').columns(['entity', 'entity_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'audit_log',
    'reply_templates',
    'orders',
    'notes',
    'interactions',
    'tickets',
    'identities',
    'customers',
    'api_tokens',
    'agents',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
