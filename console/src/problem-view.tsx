/** How every screen shows a refusal or failure of the API: the problem document's title and detail, announced. */
import type { Problem } from './api';

export function ProblemView({ problem }: { problem: Problem }) {
  return (
    <div class="problem" role="alert">
      <h2>{problem.title}</h2>
      {problem.detail && <p>{problem.detail}</p>}
    </div>
  );
}
