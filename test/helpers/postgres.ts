import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

/** A throwaway PostgreSQL server: its own data folder, 127.0.0.1 only, stopped by pid. */
export interface TestPostgres {
  /** `postgres://hearth@127.0.0.1:<port>/<database>` */
  url: string;
  port: number;
  /** Makes another empty database on the same server and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** Where Debian's `postgresql` package puts the server binaries, newest version first. */
function findBinDir(): string | undefined {
  const fromEnv = process.env.HEARTH_PG_BIN;
  if (fromEnv && existsSync(join(fromEnv, "initdb"))) return fromEnv;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : undefined;
}

/**
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user (made by
 * Debian's package) or `nobody`, owning the temporary folder.
 */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ["postgres", "nobody"]) {
    try {
      const uid = Number(execFileSync("id", ["-u", name], { encoding: "utf8" }).trim());
      const gid = Number(execFileSync("id", ["-g", name], { encoding: "utf8" }).trim());
      return { uid, gid };
    } catch {}
  }
  throw new Error(
    "Running as root and neither a postgres nor a nobody user exists to run PostgreSQL.",
  );
}

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresUnavailable(): string | undefined {
  return findBinDir()
    ? undefined
    : "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin or HEARTH_PG_BIN): install Debian's postgresql package (.ci/run does) to run these tests";
}

/**
 * Runs `initdb` in a temporary folder, starts `postgres` on a free port of 127.0.0.1 (its
 * socket in the same folder), waits until it accepts connections and creates one database.
 */
export async function startPostgres(database = "hearth"): Promise<TestPostgres> {
  const bin = findBinDir();
  if (!bin) throw new Error(postgresUnavailable());
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), "hearth-pg-"));
  const data = join(dir, "data");
  const socket = join(dir, "socket");
  mkdirSync(socket);
  if (user) {
    chownSync(dir, user.uid, user.gid);
    chownSync(socket, user.uid, user.gid);
  }
  const asUser = user ? { uid: user.uid, gid: user.gid } : {};
  execFileSync(
    join(bin, "initdb"),
    ["-D", data, "-U", "hearth", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"],
    { ...asUser, stdio: "pipe", cwd: dir },
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    join(bin, "postgres"),
    [
      "-D",
      data,
      "-p",
      String(port),
      "-k",
      socket,
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "fsync=off",
      "-c",
      "shared_buffers=16MB",
      "-c",
      "max_connections=60",
    ],
    { ...asUser, cwd: dir, stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  child.stderr?.on("data", (chunk) => {
    log = (log + String(chunk)).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const base = `postgres://hearth@127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGINT"); // PostgreSQL's "fast" shutdown
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`postgres exited with code ${child.exitCode}:\n${log}`);
    }
    const client = new pg.Client({ connectionString: `${base}/postgres` });
    try {
      await client.connect();
      await client.end();
      break;
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() > deadline) {
        await stop();
        throw new Error(
          `postgres did not accept connections within 30 s: ${String(error)}\n${log}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const createDatabase = async (name: string) => {
    const admin = new pg.Client({ connectionString: `${base}/postgres` });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name.replaceAll('"', "")}"`);
    } finally {
      await admin.end();
    }
    return `${base}/${name}`;
  };
  const url = await createDatabase(database);
  return { url, port, createDatabase, stop };
}
