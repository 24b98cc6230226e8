import { invalid, type CairnError } from '../../errors.ts';

/** Every malformed schedule expression fails with this one searchable code (docs/errors.md). */
export const INVALID_SCHEDULE = 'CAIRN_INVALID_SCHEDULE';
/** A rate() schedule was asked for fire times without the start date it counts from. */
export const SCHEDULE_START_REQUIRED = 'CAIRN_SCHEDULE_START_REQUIRED';
/** The time zone is not an IANA name this runtime knows. */
export const INVALID_TIME_ZONE = 'CAIRN_INVALID_TIME_ZONE';

export const invalidSchedule = (message: string, details?: Record<string, unknown>): CairnError =>
  invalid(INVALID_SCHEDULE, message, details);
