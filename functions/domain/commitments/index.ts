/**
 * Service commitments (服务承诺): declarations, working-day calendars, deadlines and compliance
 * over service events. Pure: no AWS, no I/O (the calendar data is a static JSON import).
 */
export * from './calendar';
export * from './calendar-settings';
export * from './compliance';
export * from './deadline';
export * from './duration';
export * from './local-time';
export * from './promise';
export * from './schema';
