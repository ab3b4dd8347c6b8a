// SPDX-License-Identifier: MIT
// The flow explorer's tree as plain data: server → connection → transaction → finding. Free of
// `vscode` so it is unit-tested in Node; flowExplorer.ts turns nodes into TreeItems. Elements are
// string ids (STYLE §2) so the tree, the editor and the Problems pane name the same things, and
// `parentOf` lets TreeView.reveal find any node.
import type { ConnectionRowDto, FindingDto, SeverityDto, TransactionRowDto } from '../../protocol/dto.js';

/** Children listed under one node before a "more" node; TreeView renders every child it is given. */
export const MAX_CHILDREN = 2_000;

/** FlowNode is one element of the tree. Every node kind carries what its TreeItem and its commands need. */
export type FlowNode =
  | { kind: 'server'; id: string; server: string; connections: number; findings: number; worstSeverity?: SeverityDto }
  | { kind: 'connection'; id: string; row: ConnectionRowDto }
  | { kind: 'transaction'; id: string; row: TransactionRowDto; findings: number; worstSeverity?: SeverityDto }
  | { kind: 'finding'; id: string; row: FindingDto }
  | { kind: 'more'; id: string; hidden: number };

/** Node ids: stable for one analysis, and readable in logs and tests. */
export const nodeId = {
  server: (server: string): string => `s:${server}`,
  connection: (id: number): string => `c:${id}`,
  transaction: (connection: number, index: number): string => `c:${connection}/t:${index}`,
  finding: (index: number): string => `f:${index}`,
  more: (parent: string): string => `${parent}/more`,
};

const SEVERITY_RANK: Record<SeverityDto, number> = { error: 3, warning: 2, info: 1 };

function worse(a: SeverityDto | undefined, b: SeverityDto | undefined): SeverityDto | undefined {
  if (!a) return b;
  if (!b) return a;
  return SEVERITY_RANK[b] > SEVERITY_RANK[a] ? b : a;
}

/**
 * FlowTree indexes one analysis' rows for the tree. Built once per analysis (linear in the rows);
 * children and parents are then lookups, so expanding a server with 100k connections stays cheap.
 */
export class FlowTree {
  private readonly servers: string[] = [];
  private readonly connectionsByServer = new Map<string, ConnectionRowDto[]>();
  private readonly connectionById = new Map<number, ConnectionRowDto>();
  private readonly transactionsByConnection = new Map<number, TransactionRowDto[]>();
  /** Findings that name no transaction, by connection; and findings of each transaction. */
  private readonly connectionFindings = new Map<number, FindingDto[]>();
  private readonly transactionFindings = new Map<string, FindingDto[]>();
  private readonly findingByIndex = new Map<number, FindingDto>();
  private readonly serverStats = new Map<string, { findings: number; worst?: SeverityDto }>();

  constructor(connections: readonly ConnectionRowDto[], transactions: readonly TransactionRowDto[], findings: readonly FindingDto[]) {
    for (const c of connections) {
      this.connectionById.set(c.id, c);
      let list = this.connectionsByServer.get(c.server);
      if (!list) {
        list = [];
        this.connectionsByServer.set(c.server, list);
        this.servers.push(c.server);
      }
      list.push(c);
      const stats = this.serverStats.get(c.server) ?? { findings: 0 };
      stats.findings += c.findingCount;
      const w = worse(stats.worst, c.worstSeverity);
      if (w) stats.worst = w;
      this.serverStats.set(c.server, stats);
    }
    for (const t of transactions) push(this.transactionsByConnection, t.connection, t);
    const transactionKeys = new Set(transactions.map((t) => nodeId.transaction(t.connection, t.index)));
    for (const f of findings) {
      this.findingByIndex.set(f.index, f);
      const key = f.transaction !== undefined ? nodeId.transaction(f.connection, f.transaction) : undefined;
      // A finding naming a transaction the rows lack (a newer core) stays visible on its connection.
      if (key !== undefined && transactionKeys.has(key)) push(this.transactionFindings, key, f);
      else push(this.connectionFindings, f.connection, f);
    }
    // Servers with the most connections first: the busy server is usually the one being debugged.
    const count = (s: string): number => this.connectionsByServer.get(s)?.length ?? 0;
    this.servers.sort((a, b) => count(b) - count(a) || collator.compare(a, b));
  }

  /** children of `parent` (the roots when undefined); a list past `max` ends with a "more" node. */
  children(parent?: FlowNode, max = MAX_CHILDREN): FlowNode[] {
    if (!parent) return cap(this.servers.map((s) => this.serverNode(s)), max, 'root');
    switch (parent.kind) {
      case 'server':
        return cap((this.connectionsByServer.get(parent.server) ?? []).map((c) => this.connectionNode(c)), max, parent.id);
      case 'connection': {
        const id = parent.row.id;
        const own = (this.connectionFindings.get(id) ?? []).map((f) => findingNode(f));
        const tx = (this.transactionsByConnection.get(id) ?? []).map((t) => this.transactionNode(t));
        return cap([...own, ...tx], max, parent.id);
      }
      case 'transaction':
        return cap((this.transactionFindings.get(parent.id) ?? []).map((f) => findingNode(f)), max, parent.id);
      case 'finding':
      case 'more':
        return [];
      default:
        return assertNever(parent);
    }
  }

  /** hasChildren says whether a node can be expanded, without building its children. */
  hasChildren(node: FlowNode): boolean {
    switch (node.kind) {
      case 'server':
        return true;
      case 'connection':
        return (this.connectionFindings.get(node.row.id)?.length ?? 0) > 0 || (this.transactionsByConnection.get(node.row.id)?.length ?? 0) > 0;
      case 'transaction':
        return node.findings > 0;
      default:
        return false;
    }
  }

  /** parentOf is the node above `node` (undefined for servers), as TreeView.reveal needs. */
  parentOf(node: FlowNode): FlowNode | undefined {
    switch (node.kind) {
      case 'server':
        return undefined;
      case 'connection':
        return this.serverNode(node.row.server);
      case 'transaction': {
        const c = this.connectionById.get(node.row.connection);
        return c && this.connectionNode(c);
      }
      case 'finding': {
        const f = node.row;
        const t = f.transaction !== undefined ? this.transactionsByConnection.get(f.connection)?.find((x) => x.index === f.transaction) : undefined;
        if (t && this.transactionFindings.has(nodeId.transaction(t.connection, t.index))) return this.transactionNode(t);
        const c = this.connectionById.get(f.connection);
        return c && this.connectionNode(c);
      }
      case 'more':
        return undefined;
      default:
        return assertNever(node);
    }
  }

  /** connection is the node of connection `id`, if the analysis has it. */
  connection(id: number): FlowNode | undefined {
    const c = this.connectionById.get(id);
    return c && this.connectionNode(c);
  }

  /** finding is the node of the finding at `index`, if the analysis has it. */
  finding(index: number): FlowNode | undefined {
    const f = this.findingByIndex.get(index);
    return f && findingNode(f);
  }

  private serverNode(server: string): FlowNode {
    const stats = this.serverStats.get(server);
    const node: FlowNode = { kind: 'server', id: nodeId.server(server), server, connections: this.connectionsByServer.get(server)?.length ?? 0, findings: stats?.findings ?? 0 };
    if (stats?.worst) node.worstSeverity = stats.worst;
    return node;
  }

  private connectionNode(row: ConnectionRowDto): FlowNode {
    return { kind: 'connection', id: nodeId.connection(row.id), row };
  }

  private transactionNode(row: TransactionRowDto): FlowNode {
    const id = nodeId.transaction(row.connection, row.index);
    const findings = this.transactionFindings.get(id) ?? [];
    let worst: SeverityDto | undefined;
    for (const f of findings) worst = worse(worst, f.severity);
    const node: FlowNode = { kind: 'transaction', id, row, findings: findings.length };
    if (worst) node.worstSeverity = worst;
    return node;
  }
}

function findingNode(row: FindingDto): FlowNode {
  return { kind: 'finding', id: nodeId.finding(row.index), row };
}

function cap(nodes: FlowNode[], max: number, parentId: string): FlowNode[] {
  if (nodes.length <= max) return nodes;
  const kept = nodes.slice(0, max);
  kept.push({ kind: 'more', id: nodeId.more(parentId), hidden: nodes.length - max });
  return kept;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function assertNever(x: never): never {
  throw new Error(`unexpected node ${JSON.stringify(x)}`);
}

//#region Wireshark display filters

/**
 * wiresharkFilter is a display filter that shows the node's packets in Wireshark (4.0 or newer:
 * set members separated by commas). Undefined for nodes with no packets of their own.
 */
export function wiresharkFilter(node: FlowNode): string | undefined {
  switch (node.kind) {
    case 'server': {
      const ep = parseEndpoint(node.server);
      if (!ep) return undefined;
      const ip = ep.v6 ? 'ipv6' : 'ip';
      // Either direction of any connection to the server's port, not every packet that has the port.
      return `(${ip}.src == ${ep.host} && tcp.srcport == ${ep.port}) || (${ip}.dst == ${ep.host} && tcp.dstport == ${ep.port})`;
    }
    case 'connection':
      return `tcp.stream eq ${node.row.id}`;
    case 'transaction': {
      const r = node.row;
      const last = Math.max(r.requestLastFrame, r.responseLastFrame ?? r.requestLastFrame);
      return `tcp.stream eq ${r.connection} && frame.number >= ${r.requestFirstFrame} && frame.number <= ${last}`;
    }
    case 'finding':
      return node.row.frames.length > 0 ? `frame.number in {${[...new Set(node.row.frames)].sort((a, b) => a - b).join(',')}}` : `tcp.stream eq ${node.row.connection}`;
    case 'more':
      return undefined;
    default:
      return assertNever(node);
  }
}

/** parseEndpoint splits "10.0.0.1:80" and "[2001:db8::1]:443" as formatEndpoint writes them. */
export function parseEndpoint(text: string): { host: string; port: number; v6: boolean } | undefined {
  const m = /^\[([0-9A-Fa-f:.]+)\]:(\d+)$/.exec(text) ?? /^(\d{1,3}(?:\.\d{1,3}){3}):(\d+)$/.exec(text);
  if (!m || m[1] === undefined || m[2] === undefined) return undefined;
  return { host: m[1], port: Number(m[2]), v6: text.startsWith('[') };
}

//#endregion
