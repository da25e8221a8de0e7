// Package ui is the terminal wizard: one root model (App, the state machine)
// and one model per screen. Screens own their inputs and views and report
// what the person did with typed messages; every call to Cognito is a command
// built in commands.go.
package ui

import (
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
)

// screen is which screen is current.
type screen int

const (
	screenSignIn screen = iota
	screenNewPassword
	screenWorking // a call with no form of its own: starting the authenticator setup
	screenSecret
	screenDone
	screenFailure
	screenCode    // a code for SOFTWARE_TOKEN_MFA, SMS_MFA or EMAIL_OTP at sign-in
	screenChoose  // SELECT_MFA_TYPE or SELECT_CHALLENGE
	screenReplace // the warning before replacing an authenticator
)

// lastCall is the call most recently started, kept so r can run it again.
type lastCall struct {
	op     operation
	screen screen
	build  func(id int) tea.Cmd
}

// App is the root model: the current screen, what Cognito said last, and the
// one call in flight.
type App struct {
	cognito   caller
	now       func() time.Time
	demo      *Demo
	poolLabel string
	styles    *Styles // shared by every wizard: read only
	tr        *i18n.Localizer
	glyphs    glyphs
	keys      KeyMap
	spinner   spinner.Model

	width, height int
	screen        screen
	outcome       Outcome
	bg            bgSource // where the background colour (light or dark) came from
	colourless    bool     // colours are off (NO_COLOR): the QR code is its glyphs alone
	partialReply  string   // the start of a background answer that came in pieces (replyTail)

	authFlow           flow.AuthFlow
	username, password string    // the password stays in memory for SELECT_CHALLENGE and the test sign-in only
	hasTOTP            bool      // the account has an authenticator already: enrolling replaces it
	step               flow.Step // Cognito's last challenge (or sign-in result)
	setup              flow.Setup
	entry              flow.Setup   // the authenticator just added, without sessions: the test sign-in's codes are diagnosed against it
	cognitoClock       cognitoClock // Cognito's clock, as of the latest failed call
	testStep           flow.Step    // the test sign-in's SOFTWARE_TOKEN_MFA challenge
	expires            time.Time    // when the session the wizard holds runs out; zero: none
	lostSecret         bool         // a secret died with its session: the next one is said to be new

	calls   int // id of the latest call; answers to older ones are dropped
	running bool
	ticking bool // a clock tick is on its way
	last    lastCall

	signIn      signInScreen
	newPassword newPasswordScreen
	// The screens with a text input (8 KB each) are made when first shown:
	// most sessions never reach them.
	secret  *secretScreen
	done    *doneScreen
	failure failureScreen
	code    *codeChallengeScreen
	choose  chooseScreen
	replace replaceScreen
}

// New returns the wizard at its sign-in screen.
func New(o Options) *App {
	tr := o.Lang
	if tr == nil {
		tr = i18n.English()
	}
	a := &App{
		tr:        tr,
		glyphs:    glyphsFor(tr),
		cognito:   caller{client: o.Client, timeout: o.CallTimeout, tr: tr},
		now:       o.Now,
		demo:      o.Demo,
		poolLabel: o.PoolLabel,
		styles:    sharedStyles(true),
		keys:      NewKeyMap(tr),
		spinner:   spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		username:  o.Username,
		authFlow:  o.AuthFlow,
	}
	if a.authFlow == "" {
		a.authFlow = flow.AuthSRP
	}
	if a.now == nil {
		a.now = time.Now
	}
	if a.cognito.timeout <= 0 {
		a.cognito.timeout = 20 * time.Second
	}
	a.spinner.Style = a.styles.Spinner
	if a.username == "" && o.Demo != nil {
		a.username = o.Demo.Username
	}
	switch {
	case o.Demo != nil && o.Demo.PoolID != "":
		a.poolLabel = tr.T(i18n.AppDemoPoolLabel, "PoolID", o.Demo.PoolID)
	case a.poolLabel == "" && o.Client != nil:
		a.poolLabel = PoolLabel(tr, o.Client.Pool())
	}
	a.poolLabel = a.glyphs.ascii(a.poolLabel)
	a.signIn = a.newSignInScreen()
	if o.AccessToken != "" {
		a.startWithToken(o.AccessToken) // its command is run by Init
	}
	return a
}

// Outcome is how the wizard ended; read it after the program has run.
func (a *App) Outcome() Outcome { return a.outcome }

func (a *App) Init() tea.Cmd {
	cmds := []tea.Cmd{a.keepClock(nil), tea.RequestBackgroundColor}
	if a.running { // started by New: reading the access token
		cmds = append(cmds, a.last.build(a.calls), a.spinner.Tick)
	}
	return tea.Batch(cmds...)
}

// Update is the transition table: a message in, the next screen out.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := a.update(msg)
	return m, a.keepClock(cmd)
}

// keepClock adds the next clock tick to cmd when something on screen moves
// with time and no tick is on its way. A wizard with nothing to count (an
// idle sign-in screen) does not tick: under serve, hundreds of them would
// each draw a frame a second for nothing.
func (a *App) keepClock(cmd tea.Cmd) tea.Cmd {
	if a.ticking || !a.needsClock() {
		return cmd
	}
	a.ticking = true
	return tea.Batch(cmd, tickEverySecond())
}

// needsClock reports whether a tick would change anything: a session's time
// left to show and check, or the demo's outbox to read.
func (a *App) needsClock() bool {
	return !a.expires.IsZero() || a.pollOutbox() != nil
}

func (a *App) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if a.replyTail(msg) {
		return a, nil
	}
	if ans, ok := msg.(answer); ok {
		if ans.callID() != a.calls || !a.running {
			return a, nil // a call the wizard has given up on
		}
		a.running = false
	}
	switch msg := msg.(type) {
	// The terminal and the clock.
	case tea.WindowSizeMsg:
		a.width, a.height = msg.Width, msg.Height
		return a, nil
	case tea.BackgroundColorMsg, tea.ColorProfileMsg, tea.EnvMsg:
		a.terminalSaid(msg)
		return a, nil
	case clockTickMsg:
		a.ticking = false
		a.checkSession()
		return a, a.pollOutbox()
	case outboxMsg:
		a.code.outbox = msg.code
		return a, nil
	case spinner.TickMsg:
		return a.spin(msg)
	case tea.KeyPressMsg:
		if keys := a.activeKeys(); key.Matches(msg, keys.Abort, keys.Quit) {
			return a.quit(key.Matches(msg, keys.Abort))
		}

	// What the person did.
	case signInSubmitted:
		return a.startSignIn(msg.Username, msg.Password)
	case switchFlowRequested:
		return a.switchFlow(msg.Username, msg.Password)
	case newPasswordSubmitted:
		return a.startNewPassword(msg.Password, msg.Attributes)
	case challengeCodeSubmitted:
		return a.startAnswerCode(msg.Code)
	case choiceMade:
		return a.startChoice(msg.Choice)
	case replaceConfirmed:
		return a.startReplace()
	case signInAgainRequested:
		a.toSignIn("")
		return a, nil
	case codeSubmitted:
		return a.startConfirm(msg.Code)
	case testRequested:
		return a.startTest()
	case testCodeSubmitted:
		return a.startTestCode(msg.Code)
	case retryRequested:
		return a.retry()

	// What Cognito answered.
	case stepMsg:
		return a.afterStep(msg.step)
	case accountMsg:
		return a.afterAccount(msg.step, msg.account)
	case setupMsg:
		return a.showSecret(msg.setup), nil
	case enrolledMsg:
		return a.showDone(msg.enrolled), nil
	case testStepMsg:
		return a.afterTestStep(msg.op, msg.step), nil
	case failedMsg:
		return a.failed(msg.op, msg.err, msg.clock), nil
	}
	return a.updateScreen(msg)
}

// updateScreen hands the message to the current screen. Keys and pastes are
// dropped while a call is in flight: the inputs are locked.
func (a *App) updateScreen(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg.(type) {
	case tea.KeyPressMsg, tea.PasteMsg:
		if a.running {
			return a, nil
		}
	}
	keys := a.activeKeys()
	var cmd tea.Cmd
	switch a.screen {
	case screenSignIn:
		a.signIn, cmd = a.signIn.Update(msg, keys)
	case screenNewPassword:
		a.newPassword, cmd = a.newPassword.Update(msg, keys)
	case screenSecret:
		*a.secret, cmd = a.secret.Update(msg, keys)
	case screenDone:
		*a.done, cmd = a.done.Update(msg, keys)
	case screenFailure:
		a.failure, cmd = a.failure.Update(msg, keys)
	case screenCode:
		*a.code, cmd = a.code.Update(msg, keys)
	case screenChoose:
		a.choose, cmd = a.choose.Update(msg, keys)
	case screenReplace:
		a.replace, cmd = a.replace.Update(msg, keys)
	}
	return a, cmd
}

func (a *App) spin(msg spinner.TickMsg) (tea.Model, tea.Cmd) {
	if !a.running {
		return a, nil // let the spinner stop
	}
	var cmd tea.Cmd
	a.spinner, cmd = a.spinner.Update(msg)
	return a, cmd
}

// quit ends the program; interrupted is ctrl+c.
func (a *App) quit(interrupted bool) (tea.Model, tea.Cmd) {
	switch {
	case a.outcome == Enrolled:
	case interrupted:
		a.outcome = Interrupted
	case a.screen == screenFailure:
		a.outcome = Failed
	}
	a.calls++ // an answer arriving now is not wanted
	a.running = false
	return a, tea.Quit
}
