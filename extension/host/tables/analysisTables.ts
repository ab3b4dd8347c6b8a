// SPDX-License-Identifier: MIT
// The connections and findings tables of one analysis, kept on the host and served in pages.
import { parseEndpoint } from '../flowExplorer/flowTree.js';
import type { AnalysisTablesDto, ConnectionColumn, ConnectionDetailDto, ConnectionPacketsQueryDto, LadderDto, LadderPacketDto, ConnectionRowDto, FindingColumn, FindingDto, RevealTarget, RowsPageDto, SeverityDto, SortSpec, TableId, TransactionRowDto } from '../../protocol/dto.js';
import { MAX_DETAIL_TRANSACTIONS, MAX_PAGE_ROWS, type RowsQuery } from '../../protocol/messages.js';
import { RowTable, type SortValue, type TableSpec } from './rowTable.js';

const SEVERITY_RANK: Record<SeverityDto, number> = { error: 3, warning: 2, info: 1 };

const CONNECTION_COLUMNS: Record<ConnectionColumn, (r: ConnectionRowDto) => SortValue> = {
  id: (r) => r.id,
  client: (r) => r.client,
  server: (r) => r.server,
  protocol: (r) => r.protocol,
  requests: (r) => r.requests,
  durationMs: (r) => r.durationMs,
  connState: (r) => r.connState,
  bytesUp: (r) => r.bytesUp,
  bytesDown: (r) => r.bytesDown,
  retransmissions: (r) => r.retransmissions,
  findingCount: (r) => r.findingCount,
};

/** CONNECTION_TABLE: a filter matches the stream id, either endpoint, the protocol, the state or a finding code. */
export const CONNECTION_TABLE: TableSpec<ConnectionRowDto> = {
  columns: CONNECTION_COLUMNS,
  searchText: (r) => `${r.id}\n${r.client}\n${r.server}\n${r.protocol}\n${r.connState}\n${r.findingCodes.join('\n')}`,
  id: (r) => r.id,
};

const FINDING_COLUMNS: Record<FindingColumn, (r: FindingDto) => SortValue> = {
  index: (r) => r.index,
  severity: (r) => SEVERITY_RANK[r.severity],
  code: (r) => r.code,
  connection: (r) => r.connection,
  delayMs: (r) => r.delayMs,
};

/** FINDING_TABLE: a filter matches the code, title, message, severity or connection id. */
export const FINDING_TABLE: TableSpec<FindingDto> = {
  columns: FINDING_COLUMNS,
  searchText: (r) => `${r.code}\n${r.title}\n${r.message}\n${r.severity}\n${r.connection}`,
  id: (r) => r.index,
};

/** AnalysisTables serves `getRows` and `locateRow` from one analysis' rows. */
export class AnalysisTables {
  readonly connections: RowTable<ConnectionRowDto>;
  readonly findings: RowTable<FindingDto>;
  /** Every transaction, in connection order then request order (the flow explorer lists them). */
  readonly transactions: readonly TransactionRowDto[];

  constructor(dto: AnalysisTablesDto) {
    this.connections = new RowTable(dto.connections, CONNECTION_TABLE, MAX_PAGE_ROWS);
    this.findings = new RowTable(dto.findings, FINDING_TABLE, MAX_PAGE_ROWS);
    this.transactions = dto.transactions;
  }

  /** getRows answers one page request. */
  getRows(q: RowsQuery): RowsPageDto {
    const query = { start: q.start, count: q.count, ...(q.sort ? { sort: q.sort } : {}), ...(q.filter ? { filter: q.filter } : {}) };
    switch (q.table) {
      case 'connections':
        return { table: 'connections', ...this.connections.query(query) };
      case 'findings':
        return { table: 'findings', ...this.findings.query(query) };
      default:
        return unknownTable(q.table);
    }
  }

  /** locateRow is the position of a row in a view, or -1. */
  locateRow(table: TableId, id: number, sort?: SortSpec, filter?: string): number {
    switch (table) {
      case 'connections':
        return this.connections.locate(id, sort, filter);
      case 'findings':
        return this.findings.locate(id, sort, filter);
      default:
        return unknownTable(table);
    }
  }

  /** connectionDetail is one connection with its transactions (first MAX_DETAIL_TRANSACTIONS) and findings; undefined for an unknown id. */
  connectionDetail(id: number): ConnectionDetailDto | undefined {
    const row = this.connections.rows[this.connections.locate(id)];
    if (!row) return undefined;
    const all = this.transactionsOf(id);
    return { row, transactions: all.slice(0, MAX_DETAIL_TRANSACTIONS), transactionsTotal: all.length, findings: this.findings.rows.filter((f) => f.connection === id) };
  }

  /** ladderQuery names connection `id`'s packets for readConnectionPackets; undefined for an unknown id or unparsable endpoints. */
  ladderQuery(id: number, max: number): ConnectionPacketsQueryDto | undefined {
    const row = this.connections.rows[this.connections.locate(id)];
    const client = row && parseEndpoint(row.client);
    const server = row && parseEndpoint(row.server);
    if (!row || !client || !server) return undefined;
    return { client: { ip: client.host, port: client.port }, server: { ip: server.host, port: server.port }, firstFrame: row.firstFrame, lastFrame: row.lastFrame, max };
  }

  /** ladder joins a connection's packets with the frames to highlight: retransmissions, zero windows, and the findings' evidence. */
  ladder(id: number, packets: LadderPacketDto[], truncated: boolean): LadderDto {
    const row = this.connections.rows[this.connections.locate(id)];
    const evidence = new Map<number, Set<string>>();
    for (const f of this.findings.rows) {
      if (f.connection !== id) continue;
      for (const frame of f.frames) evidence.set(frame, (evidence.get(frame) ?? new Set()).add(f.code));
    }
    return {
      connection: id,
      packets,
      truncated,
      retransmissionFrames: row?.retransmissionFrames ?? [],
      zeroWindowFrames: row?.zeroWindowFrames ?? [],
      evidence: [...evidence].sort((a, b) => a[0] - b[0]).map(([frame, codes]) => ({ frame, codes: [...codes].sort() })),
    };
  }

  /** transaction is one transaction by connection id and request index. */
  transaction(connection: number, index: number): TransactionRowDto | undefined {
    return this.transactionsOf(connection).find((t) => t.index === index);
  }

  private byConnection: Map<number, TransactionRowDto[]> | undefined;

  private transactionsOf(connection: number): readonly TransactionRowDto[] {
    if (!this.byConnection) {
      this.byConnection = new Map();
      for (const t of this.transactions) {
        const list = this.byConnection.get(t.connection);
        if (list) list.push(t);
        else this.byConnection.set(t.connection, [t]);
      }
    }
    return this.byConnection.get(connection) ?? [];
  }

  /** finding returns the finding at `index` in the analysis' order. */
  finding(index: number): FindingDto | undefined {
    return this.findings.rows[index];
  }
}

/** RevealRequest is what revealFinding was asked for: a finding by index, a connection, or both. */
export interface RevealRequest {
  finding?: number;
  connection?: number;
}

/** resolveReveal turns a request into a selection once the rows exist; undefined when it names nothing in them. */
export function resolveReveal(request: RevealRequest, tables: AnalysisTables): RevealTarget | undefined {
  const finding = request.finding !== undefined ? tables.finding(request.finding) : undefined;
  if (request.finding !== undefined && !finding) return undefined;
  const connection = request.connection ?? finding?.connection;
  if (connection === undefined || tables.connections.locate(connection) < 0) return undefined;
  return finding ? { connection, finding: finding.index } : { connection };
}

function unknownTable(table: never): never {
  throw new Error(`unknown table ${JSON.stringify(table)}`);
}
