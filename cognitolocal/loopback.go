package cognitolocal

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"time"
)

// ServeLoopback serves s on a free loopback port until stop is called, and
// returns its URL. net/http's own messages are discarded: in the wizard and
// the admin commands they would land on the person's screen.
func (s *Server) ServeLoopback() (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	// Loopback, but any local user can connect: a slow or idle connection
	// is closed, as `local` closes it.
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		IdleTimeout: 60 * time.Second, MaxHeaderBytes: 64 << 10, ErrorLog: log.New(io.Discard, "", 0)}
	go srv.Serve(ln) // Serve returns when shut down below; its error says only that.
	stop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}
	return "http://" + ln.Addr().String(), stop, nil
}
