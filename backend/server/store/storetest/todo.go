package storetest

var (
	accountTests   []test
	campaignTests  []test
	numberTests    []test
	threadTests    []test
	inboxTests     []test
	optOutTests    []test
	outboxTests    []test
	organizerTests []test
	timeTests      []test
)
