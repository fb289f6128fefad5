import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";

// better-sqlite3 gives Prisma one connection, and SQLite transactions belong to
// the connection: a plain statement issued while an interactive transaction is
// open (awaiting something between its queries) runs *inside* that transaction
// and is rolled back with it. A lease renewal or a collector write could vanish
// that way. This wrapper holds plain statements back while a transaction is open.

type Adapter = Awaited<ReturnType<PrismaBetterSqlite3["connect"]>>;
type Tx = Awaited<ReturnType<Adapter["startTransaction"]>>;

class TransactionGate {
  private open: Promise<void> | null = null;

  /** Waits until no transaction is open on the connection. */
  async idle(): Promise<void> {
    while (this.open) await this.open;
  }

  /** Marks a transaction open before it starts, so nothing slips in between BEGIN and the first query. */
  async enter(start: () => Promise<Tx>): Promise<Tx> {
    await this.idle();
    let close!: () => void;
    this.open = new Promise<void>((resolve) => {
      close = resolve;
    });
    const done = () => {
      this.open = null;
      close();
    };
    let tx: Tx;
    try {
      tx = await start();
    } catch (err) {
      done();
      throw err;
    }
    const commit = tx.commit.bind(tx);
    const rollback = tx.rollback.bind(tx);
    tx.commit = () => commit().finally(done);
    tx.rollback = () => rollback().finally(done);
    return tx;
  }
}

function gated(inner: Adapter): Adapter {
  const gate = new TransactionGate();
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async queryRaw(q) {
      await gate.idle();
      return inner.queryRaw(q);
    },
    async executeRaw(q) {
      await gate.idle();
      return inner.executeRaw(q);
    },
    async executeScript(script) {
      await gate.idle();
      return inner.executeScript(script);
    },
    startTransaction: (isolationLevel) => gate.enter(() => inner.startTransaction(isolationLevel)),
    ...(inner.getConnectionInfo ? { getConnectionInfo: inner.getConnectionInfo.bind(inner) } : {}),
    dispose: () => inner.dispose(),
  };
}

/** Prisma's better-sqlite3 adapter with plain statements kept out of open transactions. */
export class GatedSqliteAdapter extends PrismaBetterSqlite3 {
  override async connect(): Promise<Adapter> {
    return gated(await super.connect());
  }
}
