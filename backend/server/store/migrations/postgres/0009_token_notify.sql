-- +goose Up
-- Every change to a token row (a sign-out, an expiry, a user deleted with
-- their tokens, an hourly touch) is announced on the channel
-- textbank_tokens with the token's hash, whichever server or command made
-- it. Each server keeps the users of recently seen tokens in memory
-- (server/tokencache.go) while it listens, and forgets a hash as soon as
-- this says so: a sign-out on one server counts on the others within the
-- notification's delivery, not a database read per request. A TRUNCATE
-- (by hand: nothing in textbankd truncates) announces '', every token.
-- +goose StatementBegin
CREATE FUNCTION textbank_token_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('textbank_tokens', '');
    ELSE
        PERFORM pg_notify('textbank_tokens', OLD.hash);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER tokens_changed AFTER UPDATE OR DELETE ON tokens
    FOR EACH ROW EXECUTE FUNCTION textbank_token_changed();
CREATE TRIGGER tokens_truncated AFTER TRUNCATE ON tokens
    FOR EACH STATEMENT EXECUTE FUNCTION textbank_token_changed();
