// jstat ships no types; this declares the one function Groundwork uses.
declare module 'jstat' {
  const jstat: { jStat: { studentt: { inv(p: number, degreesOfFreedom: number): number } } };
  export default jstat;
}
