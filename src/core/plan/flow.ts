/**
 * A small maximum-flow network (Dinic's algorithm) with real capacities, for
 * the few dozen nodes of one day's seats and pools. After `maxFlow`,
 * `reachesSink` tells which nodes sit on the sink side of the maximal
 * source side of a minimum cut.
 */
export class FlowNetwork {
  private readonly heads: number[];
  private readonly to: number[] = [];
  private readonly cap: number[] = [];
  private readonly next: number[] = [];
  private level: Int32Array;
  private iter: Int32Array;

  constructor(
    readonly size: number,
    private readonly epsilon = 1e-9,
  ) {
    this.heads = new Array<number>(size).fill(-1);
    this.level = new Int32Array(size);
    this.iter = new Int32Array(size);
  }

  /** Adds an edge; returns its index (the flow on it is `flowOn(index)`). */
  addEdge(from: number, to: number, capacity: number): number {
    const index = this.to.length;
    this.to.push(to, from);
    this.cap.push(capacity, 0);
    this.next.push(this.heads[from] as number, this.heads[to] as number);
    this.heads[from] = index;
    this.heads[to] = index + 1;
    return index;
  }

  /** The flow on an edge, after `maxFlow`. */
  flowOn(edge: number): number {
    return this.cap[edge + 1] as number;
  }

  maxFlow(source: number, sink: number): number {
    let total = 0;
    while (this.levels(source, sink)) {
      this.iter.set(this.heads.map((h) => h));
      for (;;) {
        const pushed = this.push(source, sink, Number.POSITIVE_INFINITY);
        if (pushed <= this.epsilon) break;
        total += pushed;
      }
    }
    return total;
  }

  /** Nodes from which the sink is reachable in the residual network. */
  reachesSink(sink: number): boolean[] {
    const reach = new Array<boolean>(this.size).fill(false);
    reach[sink] = true;
    const queue = [sink];
    while (queue.length > 0) {
      const node = queue.pop() as number;
      for (let e = this.heads[node] as number; e !== -1; e = this.next[e] as number) {
        // The reverse of edge e runs into `node`; it has room when e^1 does.
        const from = this.to[e] as number;
        if (!reach[from] && (this.cap[e ^ 1] as number) > this.epsilon) {
          reach[from] = true;
          queue.push(from);
        }
      }
    }
    return reach;
  }

  private levels(source: number, sink: number): boolean {
    this.level.fill(-1);
    this.level[source] = 0;
    const queue = [source];
    for (let q = 0; q < queue.length; q++) {
      const node = queue[q] as number;
      for (let e = this.heads[node] as number; e !== -1; e = this.next[e] as number) {
        const to = this.to[e] as number;
        if ((this.level[to] as number) < 0 && (this.cap[e] as number) > this.epsilon) {
          this.level[to] = (this.level[node] as number) + 1;
          queue.push(to);
        }
      }
    }
    return (this.level[sink] as number) >= 0;
  }

  private push(node: number, sink: number, limit: number): number {
    if (node === sink) return limit;
    for (let e = this.iter[node] as number; e !== -1; e = this.next[e] as number) {
      this.iter[node] = e;
      const to = this.to[e] as number;
      const room = this.cap[e] as number;
      if (room <= this.epsilon || (this.level[to] as number) !== (this.level[node] as number) + 1) {
        continue;
      }
      const pushed = this.push(to, sink, Math.min(limit, room));
      if (pushed > this.epsilon) {
        this.cap[e] = room - pushed;
        this.cap[e ^ 1] = (this.cap[e ^ 1] as number) + pushed;
        return pushed;
      }
    }
    this.iter[node] = -1;
    return 0;
  }
}
