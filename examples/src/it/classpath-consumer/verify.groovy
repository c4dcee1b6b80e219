def log = new File(basedir, 'build.log').text
assert log.contains('classpath consumer: tensor([[ 3.,  3.],')
assert log.contains('Tests run: 1, Failures: 0, Errors: 0, Skipped: 0')
// The user's property test with vectorgrad-testkit ran its properties and passed.
assert log =~ /Tests run: 3, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: .* -- in consumer\.SoftsignPropertyTest/
assert !log.contains('FAILURE')
return true
