/** The zone periods and local times use when a questionnaire, contact or schedule names none. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
