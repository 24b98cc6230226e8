/** CloudWatch metric alarms: evaluation with M out of N and TreatMissingData, and the EventBridge event. */
export { breaches, evaluateAlarm, evaluationRange, javaDouble, type AlarmEvaluation } from './evaluate.ts';
export {
  CLOUDWATCH_SOURCE,
  alarmArn,
  alarmIngestedEvent,
  alarmStateChangeEvent,
  transitionDeliveryId,
  type AlarmEventContext,
} from './event.ts';
export {
  ALARM_COMPARISONS,
  TREAT_MISSING_DATA,
  cloudWatchTime,
  type AlarmComparison,
  type AlarmDatapoint,
  type AlarmDefinition,
  type AlarmState,
  type AlarmStateValue,
  type TreatMissingData,
} from './model.ts';
