// The part of autocannon's programmatic API the benchmark uses (the package ships no types).
declare module 'autocannon' {
  export interface Histogram {
    average: number;
    total: number;
    p50: number;
    p99: number;
    max: number;
  }
  export interface Result {
    duration: number;
    requests: Histogram;
    throughput: Histogram;
    latency: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
  }
  export interface Client {
    pipelinedRequests: { addBody(data: Buffer): void };
  }
  export interface Options {
    url: string;
    connections?: number;
    amount?: number;
    timeout?: number;
    setupClient?: (client: Client) => void;
  }
  export interface Instance extends NodeJS.EventEmitter {
    stop(): void;
  }
  function autocannon(opts: Options, cb: (err: Error | null, result: Result) => void): Instance;
  export default autocannon;
}
