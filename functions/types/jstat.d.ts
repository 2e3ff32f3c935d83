// jstat ships no type declarations; this declares only the distribution functions manyi uses.
declare module 'jstat' {
  interface ContinuousDistribution {
    cdf(x: number, ...params: number[]): number;
    inv(p: number, ...params: number[]): number;
    pdf(x: number, ...params: number[]): number;
  }
  const jStat: {
    studentt: ContinuousDistribution;
    normal: ContinuousDistribution;
    chisquare: ContinuousDistribution;
    centralF: ContinuousDistribution;
  };
  export default jStat;
}
