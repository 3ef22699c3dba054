import { useNavigate, useParams, useRouteError } from 'react-router';
import { errorMessage, sentence } from '../lib/format';

/**
 * What a screen that failed to draw shows instead (the routes' errorElement):
 * in a campaign only its pane, so the sidebar, the list and the status bar
 * stay and lead elsewhere; elsewhere the window. Without it React Router put
 * its own "Unexpected Application Error!" and a stack trace over the whole
 * window, with no way on. Going to another screen clears it. `whole` is the
 * root route's: what failed there was the window around the panes (the
 * shell), so there is none to draw the pane in, campaign or not.
 */
export function ScreenError({ whole = false }: { whole?: boolean }) {
  const error = useRouteError();
  const { campaignId } = useParams();
  const navigate = useNavigate();
  const body = (
    <section className="pane" aria-labelledby="screen-error-title">
      <h1 id="screen-error-title">This screen could not be shown</h1>
      <p role="alert" className="error">
        {sentence(`Textbank met something it did not expect: ${errorMessage(error)}`)}
      </p>
      <button type="button" onClick={() => navigate(campaignId ? `/c/${campaignId}` : '/')}>
        Back to the inbox
      </button>
    </section>
  );
  return whole ? <main className="center">{body}</main> : body;
}
