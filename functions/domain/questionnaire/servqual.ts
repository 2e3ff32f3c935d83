/** The five SERVQUAL dimensions (Parasuraman, Zeithaml and Berry), by the ids questionnaires use. Its own module, so the respondent page names them without carrying the questionnaire schema. */
export const SERVQUAL_DIMENSIONS = ['tangibles', 'reliability', 'responsiveness', 'assurance', 'empathy'] as const;
