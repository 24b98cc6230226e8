/**
 * Routes as Alertmanager evaluates them: in order, the first whose `match` (an SNS filter policy over
 * the event's attributes; `{}` matches everything) accepts the event wins, unless it says
 * `continue: true`, in which case evaluation goes on to the next routes too.
 */
import type { RouteConfig } from '../../../config/alerts.ts';
import { CairnError } from '../../errors.ts';
import { compileFilterPolicy, type CompiledFilterPolicy, type MessageAttributes } from '../filter-policy/index.ts';
import type { GroupTiming } from './grouping.ts';
import { stableHash } from './hash.ts';

export interface CompiledRoute {
  index: number;
  /** Names this route's definition: groups of an edited route start afresh instead of mixing. */
  key: string;
  config: RouteConfig;
  timing: GroupTiming;
  matcher: CompiledFilterPolicy;
}

/** Compiles an attribute-scope filter policy, naming where it sits in cairn.yaml when it is invalid. */
export function compileMatch(policy: unknown, where: string): CompiledFilterPolicy {
  try {
    return compileFilterPolicy(policy, 'MessageAttributes');
  } catch (err) {
    if (!(err instanceof CairnError)) throw err;
    throw new CairnError(err.code, err.kind, `${where}: ${err.message}`, { cause: err, details: err.details });
  }
}

export function compileRoutes(routes: RouteConfig[]): CompiledRoute[] {
  return routes.map((config, index) => {
    const matcher = compileMatch(config.match, `alerts.routes[${index}].match`);
    return {
      index,
      key: `r${index}-${stableHash(JSON.stringify(config))}`,
      config,
      timing: {
        groupWaitMs: config.groupWait * 1000,
        groupIntervalMs: config.groupInterval * 1000,
        repeatIntervalMs: config.repeatInterval * 1000,
      },
      matcher,
    };
  });
}

export function matchingRoutes(routes: CompiledRoute[], messageAttributes: MessageAttributes): CompiledRoute[] {
  const out: CompiledRoute[] = [];
  for (const route of routes) {
    if (!route.matcher.matches({ messageAttributes })) continue;
    out.push(route);
    if (!route.config.continue) break;
  }
  return out;
}

/** `name=value` per groupBy attribute in the route's order, values URI-encoded so keys cannot collide. */
export function groupKeyOf(groupBy: string[], attributes: MessageAttributes): string {
  return groupBy.map((name) => `${name}=${encodeURIComponent(attributes[name]?.Value ?? '')}`).join(',');
}
